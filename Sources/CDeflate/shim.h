#ifndef PROFILES_CDEFLATE_SHIM_H
#define PROFILES_CDEFLATE_SHIM_H
#include <libdeflate.h>
#endif
