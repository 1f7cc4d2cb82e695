/* worker_main.c: the hgc-worker executable; everything is in worker.c. */
#include "worker.h"

int main(int argc, char **argv)
{
    return algo_worker_main(argc, argv);
}
