/*
 * graphics.c -- can this terminal show pictures (sixel), and how large is a
 * character cell in pixels (see graphics.h)?
 *
 * Everything here runs before curses starts, on /dev/tty in raw mode: the
 * primary device attributes request (DA1, ESC [ c) is answered by every
 * VT-compatible terminal with ESC [ ? attributes c, and attribute 4 means
 * sixel graphics (xterm -ti vt340, foot, WezTerm, mlterm, Konsole, Windows
 * Terminal, tmux built with sixel).  The cell size comes from TIOCGWINSZ's
 * pixel fields, else from the CSI 16 t reply (ESC [ 6 ; height ; width t).
 * A terminal that does not answer within GRAPHICS_WAIT_MS is taken as text
 * only; the terminal's modes are always restored.
 */
#include "config.h"

#include <sys/ioctl.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "ui/graphics.h"

#define GRAPHICS_WAIT_MS	250

static long
graphics_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Write a query to fd and read its reply up to the final byte `fin` of a
 * CSI answer (ESC [ ... fin) into buf; the terminal is in raw mode.  0, or
 * -1 when it did not answer in time.
 */
static int
graphics_ask(int fd, const char *q, char fin, char *buf, size_t len)
{
	struct pollfd	 p;
	size_t		 n = 0;
	long		 end = graphics_ms() + GRAPHICS_WAIT_MS, left;
	ssize_t		 r;
	char		 c;

	if (write(fd, q, strlen(q)) != (ssize_t)strlen(q))
		return -1;
	p.fd = fd;
	p.events = POLLIN;
	while ((left = end - graphics_ms()) > 0) {
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		if ((r = read(fd, &c, 1)) != 1) {
			if (r < 0 && errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0 && c != '\033')
			continue;	/* something typed before the reply */
		if (n + 1 < len)
			buf[n++] = c;
		buf[n] = '\0';
		if (n > 2 && c == fin)
			return 0;
	}
	return -1;
}

/* Whether a DA1 reply "ESC [ ? a ; b ; ... c" lists attribute 4 (the
   last reply in the buffer: an XTSMGRAPHICS one may come before it). */
static int
graphics_has_sixel(const char *reply)
{
	const char	*p = NULL, *q;
	char		*end;
	long		 v;

	for (q = reply; (q = strstr(q, "\033[?")) != NULL; q++)
		p = q + 1;
	if (p == NULL)
		return 0;
	for (p += 2; *p != '\0' && *p != 'c'; p = end) {
		v = strtol(p, &end, 10);
		if (end == p)
			return 0;
		if (v == 4)
			return 1;
		if (*end == ';')
			end++;
	}
	return 0;
}

/* The cell size from TIOCGWINSZ's pixel fields; 0, or -1 without them. */
static int
graphics_winsize(int fd, struct graphics *g)
{
	struct winsize	ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0 ||
	    ws.ws_row == 0 || ws.ws_xpixel == 0 || ws.ws_ypixel == 0)
		return -1;
	g->cell_w = ws.ws_xpixel / ws.ws_col;
	g->cell_h = ws.ws_ypixel / ws.ws_row;
	return g->cell_w > 0 && g->cell_h > 0 ? 0 : -1;
}

int
graphics_detect(const char *want, struct graphics *g, struct err *err)
{
	struct termios	 saved, raw;
	char		 reply[256];
	const char	*term = getenv("TERM"), *p;
	int		 fd, sixel = 0, h, w;

	memset(g, 0, sizeof *g);
	g->mode = GRAPHICS_TEXT;
	if (want == NULL || *want == '\0')
		want = "auto";
	if (strcmp(want, "text") == 0) {
		g->why = "text asked for";
		return 0;
	}
	if (strcmp(want, "auto") != 0 && strcmp(want, "sixel") != 0) {
		return err_set(err, "--graphics: '%.40s' is not auto, sixel "
		    "or text", want);
	}
	if (term != NULL && strcmp(term, "dumb") == 0) {
		g->why = "TERM=dumb";
		return 0;
	}
	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY)) < 0) {
		g->why = "no /dev/tty";
		return 0;
	}
	if (tcgetattr(fd, &saved) != 0) {
		close(fd);
		g->why = "not a terminal";
		return 0;
	}
	raw = saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSANOW, &raw) != 0) {
		close(fd);
		g->why = "no raw mode";
		return 0;
	}
	/* XTSMGRAPHICS (the largest sixel picture; xterm's default is
	   1000x1000 and it drops larger ones), then DA1, which every
	   terminal answers: a terminal without XTSMGRAPHICS costs no wait */
	if (graphics_ask(fd, "\033[?2;1;0S\033[c", 'c', reply,
	    sizeof reply) == 0) {
		sixel = strcmp(want, "sixel") == 0 || graphics_has_sixel(reply);
		if ((p = strstr(reply, "\033[?2;0;")) != NULL &&
		    sscanf(p, "\033[?2;0;%d;%dS", &w, &h) == 2 && w > 0 &&
		    h > 0) {
			g->max_w = w;
			g->max_h = h;
		}
	} else if (strcmp(want, "sixel") == 0)
		sixel = 1;
	else
		g->why = "no answer to the device attributes request";
	if (sixel && graphics_winsize(fd, g) != 0) {
		if (graphics_ask(fd, "\033[16t", 't', reply,
		    sizeof reply) == 0 &&
		    sscanf(reply, "\033[6;%d;%dt", &h, &w) == 2 && h > 0 &&
		    w > 0) {
			g->cell_w = w;
			g->cell_h = h;
		} else if (strcmp(want, "sixel") == 0) {
			g->cell_w = 10;		/* asked for: a guess */
			g->cell_h = 20;
		} else {
			sixel = 0;
			g->why = "the cell size in pixels is unknown";
		}
	}
	tcsetattr(fd, TCSANOW, &saved);
	close(fd);
	if (sixel) {
		g->mode = GRAPHICS_SIXEL;
		g->why = strcmp(want, "sixel") == 0 ? "sixel asked for" :
		    "the terminal answers with sixel";
	} else if (g->why == NULL)
		g->why = "the terminal has no sixel";
	return 0;
}

void
graphics_resized(struct graphics *g)
{
	int	fd;

	if (g->mode != GRAPHICS_SIXEL)
		return;
	if ((fd = open("/dev/tty", O_RDONLY | O_NOCTTY)) < 0)
		return;
	(void)graphics_winsize(fd, g);
	close(fd);
}
