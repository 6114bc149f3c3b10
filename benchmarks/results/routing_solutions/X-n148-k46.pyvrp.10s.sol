Route #1: 22 55 27
Route #2: 96 33 36 13 66 145 49
Route #3: 103 48 6 125 37
Route #4: 85 110 137
Route #5: 23 47 46
Route #6: 39 89
Route #7: 18 75
Route #8: 142 70 112 17
Route #9: 111 146 128
Route #10: 87 95
Route #11: 78 41 94
Route #12: 15 108 117 16
Route #13: 62 109 77 127
Route #14: 129 10 54 68
Route #15: 84 134 42
Route #16: 2 122 86
Route #17: 123 91 79 92
Route #18: 139 34
Route #19: 99
Route #20: 90 74
Route #21: 124 121 140
Route #22: 73 53 126
Route #23: 64 138 102 114
Route #24: 45 50 9 24 63 11
Route #25: 59 1
Route #26: 83 76 143
Route #27: 93 21
Route #28: 118 107
Route #29: 30 56
Route #30: 131 144 65
Route #31: 120 81 7
Route #32: 20 80 119 101 52
Route #33: 132 97
Route #34: 8 116 3 12
Route #35: 31 135 115 100
Route #36: 57 130 26
Route #37: 104 32 82
Route #38: 19 133 141 147
Route #39: 113 35
Route #40: 28 5 71
Route #41: 4 60 51
Route #42: 44 88
Route #43: 136 106
Route #44: 25 29 69 38
Route #45: 105 40
Route #46: 98 67 61 14
Route #47: 43 58 72
Cost 43475
