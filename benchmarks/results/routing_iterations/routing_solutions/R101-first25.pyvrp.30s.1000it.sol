Route #1: 11 19 10
Route #2: 23 22 4 25
Route #3: 18
Route #4: 14 15 13
Route #5: 5 16 6
Route #6: 2 21 3 24
Route #7: 12 9 20 1
Route #8: 7 8 17
Cost 617.1
