Route #1: 54 92 66
Route #2: 76 16 69 74
Route #3: 14 6 37 49
Route #4: 71 62 99 98 89
Route #5: 90 55 9
Route #6: 15 70 86
Route #7: 7 2 45 43 29 36 87 26
Route #8: 81 51 83
Route #9: 39 13 84 68 1
Route #10: 42 78 65 12
Route #11: 28 10 25
Route #12: 60 67 44
Route #13: 38 47 52 91
Route #14: 63 77 88 59
Route #15: 3 48 96
Route #16: 40 4 18
Route #17: 22 41 20
Route #18: 34 94 27 97
Route #19: 73 53 93
Route #20: 31 95 75
Route #21: 82 57 72 64 61
Route #22: 50 11 19 23
Route #23: 58 17 80
Route #24: 5 35 46 24
Route #25: 79 30 85 33 32
Route #26: 8 56 100 21
Cost 29419
