Route #1: 26 48 87 60
Route #2: 76 55 16 69
Route #3: 84 68 86
Route #4: 27 98 89 47 38
Route #5: 88 57 72 82 42
Route #6: 90 92 54
Route #7: 59 67 40
Route #8: 65 2 45 43 29 36
Route #9: 51 71 83
Route #10: 58 63 77
Route #11: 62 99 52
Route #12: 39 10 25
Route #13: 34 64 3 44 12
Route #14: 28 49 7 13 74
Route #15: 35 20 46
Route #16: 14 37 6 78
Route #17: 18 4 66
Route #18: 95 73 53 75
Route #19: 79 93 33
Route #20: 21 100 61 97
Route #21: 23 19 50
Route #22: 24 31 32
Route #23: 96 94 8
Route #24: 56 17 80
Route #25: 41 22 15 5
Route #26: 91 81 11 85 30
Route #27: 1 70 9
Cost 29354
