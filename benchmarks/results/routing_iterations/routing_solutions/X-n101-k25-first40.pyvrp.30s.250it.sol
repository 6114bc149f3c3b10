Route #1: 23 27 21
Route #2: 38 26 37 6 28
Route #3: 16 9 1
Route #4: 14 10 25 39
Route #5: 32 33 31 24
Route #6: 8 17
Route #7: 18 4 35
Route #8: 12 40 3 34
Route #9: 19 11 30
Route #10: 13 7 2 36 29
Route #11: 20 22 15 5
Cost 11791
