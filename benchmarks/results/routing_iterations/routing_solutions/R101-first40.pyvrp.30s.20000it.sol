Route #1: 39 23 22 4 25
Route #2: 28 12 3 24
Route #3: 31 30 20 32
Route #4: 14 38 37 13
Route #5: 2 21 26
Route #6: 15 40
Route #7: 5 16 6
Route #8: 33 29 9 34 35
Route #9: 11 19 10 1
Route #10: 27 18
Route #11: 36 7 8 17
Cost 885.8
