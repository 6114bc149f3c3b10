Route #1: 45 11 24 63 29 25
Route #2: 78 41 94
Route #3: 133 144 131 19
Route #4: 52 81 120 6 100
Route #5: 50 9 38 69
Route #6: 20 80 119 103
Route #7: 3 12 117
Route #8: 115 48 101
Route #9: 65 141 147
Route #10: 96 33 36 13 66 145 49
Route #11: 28 5 71
Route #12: 40 105
Route #13: 8 135 116 108
Route #14: 74 90
Route #15: 59 1
Route #16: 64 138 102 16
Route #17: 4 114 15 125 37
Route #18: 97 132
Route #19: 91 139
Route #20: 76 51 60
Route #21: 22 55 34
Route #22: 123 35 70
Route #23: 56 30
Route #24: 128 146 79
Route #25: 57 130 26
Route #26: 87 143 124 43
Route #27: 126 121 140
Route #28: 7 61 67 98
Route #29: 2 92 112 17
Route #30: 95 83
Route #31: 32 113
Route #32: 129 10 54 68
Route #33: 127 77 142 104 82
Route #34: 72 93
Route #35: 62 109 122
Route #36: 21 58
Route #37: 110 137 136
Route #38: 85 134 86
Route #39: 53 31 89
Route #40: 27 111 84
Route #41: 107 118
Route #42: 106 88
Route #43: 39 73 14
Route #44: 75 18
Route #45: 23 47 46
Route #46: 42 44
Route #47: 99
Cost 44740
