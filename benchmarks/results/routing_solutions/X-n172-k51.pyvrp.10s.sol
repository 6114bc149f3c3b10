Route #1: 71 148
Route #2: 26 139
Route #3: 165 168
Route #4: 83 21
Route #5: 61 161 132 18 51
Route #6: 48 141 138
Route #7: 60 69 13 171 67
Route #8: 84 85
Route #9: 56 64 8 29 9 5 10 23
Route #10: 157 47
Route #11: 102 88
Route #12: 121 127 122 112
Route #13: 153 100
Route #14: 43 15 63 19 140
Route #15: 145 146 53 11 68
Route #16: 107 94 96 89 98 93 108 7
Route #17: 131 70 110 92 62 22
Route #18: 152 87 103 155 149 114
Route #19: 65 12 133
Route #20: 163 50
Route #21: 169 136
Route #22: 166 3
Route #23: 76 55
Route #24: 150 137
Route #25: 6 38 66 73
Route #26: 113 49
Route #27: 143
Route #28: 123 144 120
Route #29: 134 156 86
Route #30: 52 24
Route #31: 25 28
Route #32: 130 129
Route #33: 74 59 151
Route #34: 167 35
Route #35: 57 20 14
Route #36: 17 128 82 78 81 39 31
Route #37: 125 36
Route #38: 124
Route #39: 147 101 80
Route #40: 109 2
Route #41: 154 135 170 42 77
Route #42: 54 4 33 1
Route #43: 104 45 72 44 79 30
Route #44: 106 16 32 41
Route #45: 97 75
Route #46: 126 58
Route #47: 105 119 37 142 99 164 158 91
Route #48: 159 116
Route #49: 27 162
Route #50: 160 46
Route #51: 115 40
Route #52: 90 95
Route #53: 118 117
Route #54: 34 111
Cost 45784
