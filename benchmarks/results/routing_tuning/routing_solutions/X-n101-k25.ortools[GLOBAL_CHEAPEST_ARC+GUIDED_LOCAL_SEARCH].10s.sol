Route #1: 66 16 13
Route #2: 21 61 23
Route #3: 53 33 75
Route #4: 34 64 3 82 44
Route #5: 5 12
Route #6: 79 11 50
Route #7: 25 10 39
Route #8: 35 20 41 15
Route #9: 19 27 100
Route #10: 24 46 31 32
Route #11: 26 36 29 43 45 2 7
Route #12: 65 49 6 37 72 57
Route #13: 96 94 8
Route #14: 63 87 48 47 38
Route #15: 99 62 51
Route #16: 4 18
Route #17: 59 60 88 58
Route #18: 78 42 28 14
Route #19: 84 90 76 69 74
Route #20: 1 70 22
Route #21: 40 67 77
Route #22: 56 17 80
Route #23: 81 71 83 91
Route #24: 92 9 55
Route #25: 86 54 68
Route #26: 95 73 93 85 30
Route #27: 89 98 52 97
Cost 28996
