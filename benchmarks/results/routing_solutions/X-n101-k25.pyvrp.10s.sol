Route #1: 17 8
Route #2: 100 61 23
Route #3: 88 87 36 29 43 45 2 7
Route #4: 25 65 78 42 28
Route #5: 31 46 35
Route #6: 60 67 44
Route #7: 34 64 96 48 26 47 38
Route #8: 74 13 4
Route #9: 93 75
Route #10: 81 51 83
Route #11: 49 37 6 14
Route #12: 21 56 94 80
Route #13: 68 90 84 66
Route #14: 40 82 72 57 59
Route #15: 92 9 86
Route #16: 76 55 16 69
Route #17: 32 33 53 73 95 24
Route #18: 15 22 41 20
Route #19: 3 77 63
Route #20: 27 97 19
Route #21: 18 10 39
Route #22: 30 85 11 79
Route #23: 71 62 99 98 89
Route #24: 54 70 1
Route #25: 50 91 52
Route #26: 58 12 5
Cost 27597
