/* tiaojie — people's-mediation case platform. One binary: the server and the
 * command-line tool. */
#include "cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
