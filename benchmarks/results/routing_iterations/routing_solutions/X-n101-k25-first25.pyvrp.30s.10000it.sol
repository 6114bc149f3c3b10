Route #1: 16 9 1
Route #2: 21 23 19 11
Route #3: 25 6 2 7 13
Route #4: 24 20 22 15
Route #5: 8 17
Route #6: 3 14 10
Route #7: 12 5
Route #8: 18 4
Cost 8015
