#ifndef PROFILES_CCSV_SHIM_H
#define PROFILES_CCSV_SHIM_H
#include <csv.h>
#endif
