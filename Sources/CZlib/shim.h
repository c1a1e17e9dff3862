#ifndef PROFILES_CZLIB_SHIM_H
#define PROFILES_CZLIB_SHIM_H
#include <zlib.h>
#endif
