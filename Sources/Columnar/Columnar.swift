// Columnar core: immutable typed column tables (dictionary-coded strings, day-number dates,
// integers, flag sets) and the aggregation kernels over them. Built in the profiles issue.
