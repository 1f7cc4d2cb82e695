// peer_csr.cpp: the peer for bench_load: a plain C++ loader as one would
// write it first: std::ifstream >> into two vectors, ids compacted by
// their maximum (assumes small non-negative numeric ids), out-CSR by
// counting sort. No in-CSR, no file written, no id map: a lower bound on
// what "read the text and build a CSR" costs with the standard library.
//
// Usage: peer_csr EDGE_FILE     Prints "TOTAL <seconds>".
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <vector>

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: peer_csr EDGE_FILE\n");
        return 2;
    }
    auto t0 = std::chrono::steady_clock::now();
    std::ifstream in(argv[1]);
    if (!in) {
        std::fprintf(stderr, "peer_csr: cannot open %s\n", argv[1]);
        return 1;
    }
    std::vector<int64_t> src, dst;
    int64_t s, d, max_id = -1;
    while (in >> s >> d) {
        src.push_back(s);
        dst.push_back(d);
        if (s > max_id)
            max_id = s;
        if (d > max_id)
            max_id = d;
    }
    auto t1 = std::chrono::steady_clock::now();
    size_t n = (size_t)(max_id + 1), m = src.size();
    std::vector<uint64_t> off(n + 1, 0);
    for (size_t e = 0; e < m; e++)
        off[src[e] + 1]++;
    for (size_t v = 0; v < n; v++)
        off[v + 1] += off[v];
    std::vector<uint64_t> cur(off.begin(), off.end() - 1);
    std::vector<uint32_t> adj(m);
    for (size_t e = 0; e < m; e++)
        adj[cur[src[e]]++] = (uint32_t)dst[e];
    auto t2 = std::chrono::steady_clock::now();

    // Touch the result so the build is not optimised away.
    uint64_t check = 0;
    for (size_t i = 0; i < m; i += 4096)
        check += adj[i];
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double read_s = std::chrono::duration<double>(t1 - t0).count();
    double total = std::chrono::duration<double>(t2 - t0).count();
    std::printf("peer: %zu vertices, %zu edges (check %llu)\n", n, m, (unsigned long long)check);
    std::printf("peer: read %.3f s, csr %.3f s, total %.3f s, %.1f M edges/s, peak RSS %ld MB\n",
                read_s, total - read_s, total, (double)m / total / 1e6, ru.ru_maxrss / 1024);
    std::printf("TOTAL %.3f\n", total);
    return 0;
}
