Route #1: 108 158 93 98 89 96 164 105
Route #2: 47 157
Route #3: 37 107 99 142 94 149 155 87
Route #4: 22 92 114 103 119 127
Route #5: 128 5 9 29 8 64 81
Route #6: 51 131 70 110 62
Route #7: 50 160 106 16
Route #8: 21 83
Route #9: 145 146 53 11 91
Route #10: 48 88 102
Route #11: 152 121 7 122 112
Route #12: 58 97
Route #13: 17 33 120 168
Route #14: 24 52
Route #15: 123 165
Route #16: 59 66 73 77
Route #17: 141 60 61
Route #18: 45 79 56 31 39 78 19
Route #19: 116 138 13
Route #20: 117 71
Route #21: 18 132 161 32
Route #22: 23 10 4 20
Route #23: 25 28
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
Route #35: 144 159
Route #36: 63 72 82 140
Route #37: 40 49
Route #38: 170 1 54 14 57
Route #39: 27 111
Route #40: 75 2
Route #41: 3 166
Route #42: 100 34
Route #43: 6 15 43 151 136
Route #44: 67 171 68 69 167
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
Cost 48230
