Route #1: 105 119 37 107 142 99 164 108 7 91
Route #2: 131 70 110 92 62 22
Route #3: 31 64 8 29 9 5 10 23
Route #4: 60 69 13 171 67
Route #5: 130 129
Route #6: 128 82 78 81 39 56 45
Route #7: 112 122 127 121
Route #8: 160 46
Route #9: 106 16 32 41
Route #10: 63 73 15 43 6
Route #11: 95 90
Route #12: 66 30 79 44 72
Route #13: 143 150
Route #14: 152 87 103 155 149 114
Route #15: 162 27
Route #16: 134 156 86
Route #17: 55 76
Route #18: 136 170 77 169
Route #19: 14 20 57
Route #20: 124
Route #21: 157 47
Route #22: 38 24
Route #23: 50 163
Route #24: 52 75
Route #25: 145 146 53 11 68
Route #26: 84 85
Route #27: 165 168
Route #28: 36 125
Route #29: 148 71
Route #30: 115 40
Route #31: 83 21
Route #32: 35 167
Route #33: 120 144 123
Route #34: 154 1 140 19 104 42
Route #35: 61 132 161 18 51
Route #36: 12 34
Route #37: 102 88
Route #38: 97 58
Route #39: 166 3
Route #40: 137 65
Route #41: 126 133 111
Route #42: 2 109
Route #43: 159 116
Route #44: 147 101 80
Route #45: 94 96 89 98 93 158
Route #46: 25 28
Route #47: 49 113
Route #48: 117 118
Route #49: 139 26
Route #50: 153 100
Route #51: 138 141 48
Route #52: 54 4 33 17 135
Route #53: 74 59 151
Cost 45607
