long library_value;
void library_set(long v) { library_value = v; }
long library_get(void) { return library_value; }
