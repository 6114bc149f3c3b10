Route #1: 8 24 25 19 7
Route #2: 17 14 4 10 18
Route #3: 9 1 2 16 6 23
Route #4: 22 21 13 3 15
Route #5: 20 5 11 12
Cost 8485
