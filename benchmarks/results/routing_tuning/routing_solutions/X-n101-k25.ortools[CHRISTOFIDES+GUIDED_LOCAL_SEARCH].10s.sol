Route #1: 7 2 49 36 29
Route #2: 22 41 20
Route #3: 75 30 85 11 81
Route #4: 53 93
Route #5: 79 50 23
Route #6: 8 89 98 62
Route #7: 61 97 19
Route #8: 100 27 91
Route #9: 52 83 71
Route #10: 51 99 47 38
Route #11: 77 82 72 57
Route #12: 88 67 59
Route #13: 21 26 48 87 60
Route #14: 39 25 45 43 28 63
Route #15: 10 65 42 14
Route #16: 37 6 78 84
Route #17: 69 16 55 76
Route #18: 66 90 9 1
Route #19: 68 54 92
Route #20: 15 70 86
Route #21: 74 13 4
Route #22: 12 18
Route #23: 58 44 3 64 34
Route #24: 40 96 94 56
Route #25: 17 80
Route #26: 5 35 46 24
Route #27: 32 31 95 73 33
Cost 30123
