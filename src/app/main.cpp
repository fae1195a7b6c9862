#include "app/cli.h"

int main(int argc, char** argv) { return cdc::app::run_cli(argc, argv); }
