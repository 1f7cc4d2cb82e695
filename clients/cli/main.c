/* main.c: the `hgc` command-line client; everything is in the library. */
#include "cli.h"

int main(int argc, char **argv)
{
    return hgc_cli_main(argc, argv);
}
