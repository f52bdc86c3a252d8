// tern: parse the command line and hand over to a command (cli/) or the UI.
#include "cli/cli.hpp"

int main(int argc, char** argv) { return tern::run_cli(argc, argv); }
