long shared;
void bump(long by) { shared += by; }
