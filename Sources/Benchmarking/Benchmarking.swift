// Benchmarking: comparator indicators (Fingertips, DfE, police.uk) and the public health profiles'
// statistics (Wilson, Byar, Dobson intervals; comparison at 95% and 99.8%).
