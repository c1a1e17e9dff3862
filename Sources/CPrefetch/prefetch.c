// CPrefetch is its header alone (an inline function); SwiftPM needs one source file per C target.
#include "CPrefetch.h"
