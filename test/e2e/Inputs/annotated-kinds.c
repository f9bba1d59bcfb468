void undo_request(int x) { (void)x; }
int handle_request(int x) { return x; }
int main(void) { return handle_request(0); }
