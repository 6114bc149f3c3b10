Route #1: 49 37 6 14
Route #2: 76 55 16 69
Route #3: 89 98 99 62 71
Route #4: 28 10 25
Route #5: 39 13 74 90
Route #6: 15 70 86
Route #7: 81 51 83
Route #8: 61 56 94 34
Route #9: 66 84 68 1
Route #10: 12 65 78 42
Route #11: 91 52 47 38
Route #12: 60 67 44
Route #13: 64 26 87 36 29 43 45 2 7
Route #14: 63 77 88 59
Route #15: 3 48 96
Route #16: 40 4 18
Route #17: 22 41 20
Route #18: 92 9 54
Route #19: 93 53 73
Route #20: 31 95 75
Route #21: 82 57 72 8
Route #22: 50 11 19 23
Route #23: 58 17 80
Route #24: 5 35 46 24
Route #25: 79 30 85 33 32
Route #26: 97 27 100 21
Cost 29087
