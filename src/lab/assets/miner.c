/*
 * minesweep lab: a fake miner. It never mines. It keeps argv exactly as given (so `ps`
 * shows what a real miner shows), connects to the lab pool given by -o/--url/-o=URL,
 * sends one stratum login line and idles, reconnecting when dropped.
 * Environment:
 *   MS_LAB_BURN=P   burn P percent of one CPU (at nice 19) so CPU rules see load;
 *   MS_LAB_CHILD=S  watchdog mode: run `/bin/sh -c S` and run it again 2 s after it exits.
 * A family tag is appended to each copy of the binary so every family has its own sha256.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Burn `pct` percent of a CPU for `seconds` (busy loop in 100 ms slices). */
static void burn(int pct, double seconds) {
  double end = now() + seconds;
  volatile unsigned long x = 0;
  while (now() < end) {
    double slice = now();
    while (now() - slice < pct / 1000.0) x++;
    usleep((useconds_t)((100 - pct) * 1000));
  }
}

static int parse_url(const char *url, char *host, size_t hlen, int *port) {
  const char *p = strstr(url, "://");
  p = p ? p + 3 : url;
  const char *colon = strrchr(p, ':');
  if (!colon) return -1;
  size_t n = (size_t)(colon - p);
  if (n == 0 || n >= hlen) return -1;
  memcpy(host, p, n);
  host[n] = 0;
  *port = atoi(colon + 1);
  return *port > 0 ? 0 : -1;
}

static void watchdog(const char *child) {
  signal(SIGCHLD, SIG_DFL);
  for (;;) {
    pid_t pid = fork();
    if (pid == 0) {
      setsid();
      unsetenv("MS_LAB_CHILD");
      unsetenv("MS_LAB_BURN");
      execl("/bin/sh", "sh", "-c", child, (char *)NULL);
      _exit(127);
    }
    if (pid > 0) {
      int st;
      while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    }
    sleep(2);
  }
}

int main(int argc, char **argv) {
  const char *url = NULL, *user = "x";
  for (int i = 1; i < argc; i++) {
    if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--url")) && i + 1 < argc) url = argv[++i];
    else if (!strncmp(argv[i], "--url=", 6)) url = argv[i] + 6;
    else if ((!strcmp(argv[i], "-u") || !strcmp(argv[i], "--user")) && i + 1 < argc) user = argv[++i];
  }
  signal(SIGPIPE, SIG_IGN);
  const char *child = getenv("MS_LAB_CHILD");
  if (child && *child) watchdog(child);
  int pct = getenv("MS_LAB_BURN") ? atoi(getenv("MS_LAB_BURN")) : 0;
  if (pct < 0) pct = 0;
  if (pct > 90) pct = 90;
  if (pct) setpriority(PRIO_PROCESS, 0, 19);
  char host[256];
  int port = 0;
  int have_pool = url && parse_url(url, host, sizeof host, &port) == 0;
  for (;;) {
    int fd = -1;
    if (have_pool) {
      struct sockaddr_in sa = {0};
      sa.sin_family = AF_INET;
      sa.sin_port = htons((unsigned short)port);
      if (inet_pton(AF_INET, host, &sa.sin_addr) == 1) {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
          char line[1024];
          int n = snprintf(line, sizeof line,
                           "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\"%.400s\",\"pass\":\"x\",\"agent\":\"XMRig/6.21.0\"}}\n",
                           user);
          if (write(fd, line, (size_t)n) < 0) {}
          struct timeval tv = {1, 0};
          setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        } else if (fd >= 0) {
          close(fd);
          fd = -1;
        }
      }
    }
    /* Idle (or burn) while the connection lives; reconnect 5 s after it drops. */
    for (;;) {
      if (pct) burn(pct, 1.0); else sleep(1);
      if (fd < 0) { if (have_pool) { sleep(4); break; } continue; }
      char buf[512];
      ssize_t r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) { close(fd); fd = -1; sleep(4); break; }
    }
  }
}
