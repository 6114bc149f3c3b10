Route #1: 32 33 31 24
Route #2: 21 19 11 30
Route #3: 26 38 27 23
Route #4: 39 25 10 14
Route #5: 16 9 1
Route #6: 15 22 20 35
Route #7: 29 36 2 7 13
Route #8: 12 18
Route #9: 28 6 37 40
Route #10: 34 3 4 5
Route #11: 8 17
Cost 11780
