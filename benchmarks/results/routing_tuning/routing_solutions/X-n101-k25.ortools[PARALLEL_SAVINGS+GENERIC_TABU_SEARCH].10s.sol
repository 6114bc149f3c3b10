Route #1: 7 2 45 43 29 36 87
Route #2: 75 93 33
Route #3: 76 16 69 74
Route #4: 6 37 49 65
Route #5: 71 62 99 98 89
Route #6: 92 9 55
Route #7: 80 8 21
Route #8: 86 54 68
Route #9: 66 84 90 13
Route #10: 5 70 1
Route #11: 81 51 83
Route #12: 63 42 78
Route #13: 38 47 26 48 96 64 34
Route #14: 44 14 28 82 72 57
Route #15: 39 10 25
Route #16: 50 91 52
Route #17: 60 67 88
Route #18: 77 59 3
Route #19: 40 4 18
Route #20: 15 22 41 20
Route #21: 27 97 19
Route #22: 79 11 85 30
Route #23: 58 12
Route #24: 23 61 100
Route #25: 17 94 56
Route #26: 46 35 73 53
Route #27: 24 31 95 32
Cost 28517
