Route #1: 121 127 122 112
Route #2: 167 35
Route #3: 170 104 42 140 1 135
Route #4: 60 69 13 171 67
Route #5: 6 43 15 73 63 19
Route #6: 157 47
Route #7: 84 85
Route #8: 148 71
Route #9: 158 93 98 89 96 94
Route #10: 38 24
Route #11: 95 90
Route #12: 17 54 76 55
Route #13: 128 82 78 81 39 56 45
Route #14: 159 116
Route #15: 50 163
Route #16: 105 119 37 107 142 99 164 108 7 91
Route #17: 74 59 151
Route #18: 109 2
Route #19: 168 165
Route #20: 125 36
Route #21: 14 20 57
Route #22: 46 160
Route #23: 129 130
Route #24: 136 77 169
Route #25: 26 139
Route #26: 152 87 103 155 149 114
Route #27: 25 28
Route #28: 4 33 154
Route #29: 48 138 141
Route #30: 65 137
Route #31: 72 44 79 30 66
Route #32: 123 144 120
Route #33: 100 153
Route #34: 102 88
Route #35: 31 64 8 29 9 5 10 23
Route #36: 97 58
Route #37: 52 75
Route #38: 124
Route #39: 106 16 32 41
Route #40: 166 3
Route #41: 131 70 110 92 62 22
Route #42: 145 146 53 11 68
Route #43: 83 21
Route #44: 27 162
Route #45: 111 133 126
Route #46: 143 150
Route #47: 113 49
Route #48: 34 12
Route #49: 118 117
Route #50: 115 40
Route #51: 51 18 132 161 61
Route #52: 86 156 134
Route #53: 80 101 147
Cost 45634
