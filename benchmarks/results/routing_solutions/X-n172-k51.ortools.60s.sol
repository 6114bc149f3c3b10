Route #1: 108 158 93 98 89 96 164 105
Route #2: 67 171 68 69 60
Route #3: 37 107 99 142 94 149 155 87
Route #4: 50 160
Route #5: 128 5 9 29 8 64 81
Route #6: 116 123
Route #7: 17 33 145 146
Route #8: 21 83
Route #9: 106 16 32 91 7 122 51
Route #10: 88 102
Route #11: 48 13 53 11 62 131 152
Route #12: 58 97
Route #13: 165 168
Route #14: 24 52
Route #15: 141 144
Route #16: 59 66 73 77
Route #17: 22 132 161 18 61
Route #18: 45 79 56 31 39 78 19
Route #19: 92 110 114 70 103
Route #20: 117 71
Route #21: 112 127 119 121
Route #22: 23 10 4 20
Route #23: 167 28
Route #24: 76 55
Route #25: 113 118
Route #26: 74 109
Route #27: 36 163
Route #28: 26 139
Route #29: 125 162
Route #30: 46 133
Route #31: 90 95
Route #32: 41 84
Route #33: 44 30 38
Route #34: 12 85
Route #35: 120 159
Route #36: 63 72 82 140
Route #37: 40 49
Route #38: 170 1 54 14 57
Route #39: 27 111
Route #40: 75 2
Route #41: 3 166
Route #42: 100 34
Route #43: 6 15 43 151 136
Route #44: 138 25
Route #45: 115 150
Route #46: 80 101 147
Route #47: 154 135 104 42 169
Route #48: 35 129
Route #49: 86 156 134
Route #50: 65 137
Route #51: 148 126
Route #52: 130 153
Route #53: 124
Route #54: 143
Route #55: 157 47
Cost 47936
