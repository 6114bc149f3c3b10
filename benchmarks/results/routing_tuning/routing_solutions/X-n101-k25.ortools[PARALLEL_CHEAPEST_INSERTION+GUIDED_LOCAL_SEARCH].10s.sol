Route #1: 46 31 24
Route #2: 23 50 79
Route #3: 100 61 19
Route #4: 58 63 14 44
Route #5: 80 17 56
Route #6: 8 94 96
Route #7: 30 85 11 81 71 91
Route #8: 35 20 41 15
Route #9: 33 53 73 95 32
Route #10: 93 75
Route #11: 34 64 3 59 40
Route #12: 5 12
Route #13: 57 72 36 29 43 45 2 7
Route #14: 97 98 89 27
Route #15: 88 67 77
Route #16: 26 48 87 60
Route #17: 42 78 65 18
Route #18: 83 52 21
Route #19: 39 10 25
Route #20: 66 90 76 69 92
Route #21: 51 62 99
Route #22: 68 54 86
Route #23: 13 74 55
Route #24: 38 47 37 6 28
Route #25: 84 16 9
Route #26: 1 70 22
Route #27: 4 49 82
Cost 29375
