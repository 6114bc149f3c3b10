Route #1: 20 41 22 15
Route #2: 3 77 63
Route #3: 59 60 82
Route #4: 66 84 90 68
Route #5: 92 9 86
Route #6: 79 11 85 30
Route #7: 4 13 74
Route #8: 50 91 52
Route #9: 58 12 5
Route #10: 21 56 94 80
Route #11: 25 65 78 42 28
Route #12: 32 33 53 73 95 24
Route #13: 35 46 31
Route #14: 14 49 6 37 87
Route #15: 71 62 99 98 89
Route #16: 81 51 83
Route #17: 93 75
Route #18: 7 2 45 43 29 36 72 57
Route #19: 40 88 67 44
Route #20: 27 97 19
Route #21: 18 10 39
Route #22: 69 16 55 76
Route #23: 54 70 1
Route #24: 17 8
Route #25: 34 64 96 48 26 47 38
Route #26: 23 61 100
Cost 27591
