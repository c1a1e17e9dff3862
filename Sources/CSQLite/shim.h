#ifndef PROFILES_CSQLITE_SHIM_H
#define PROFILES_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
