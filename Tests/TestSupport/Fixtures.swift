// Test support: locating fixtures and the shared data.
