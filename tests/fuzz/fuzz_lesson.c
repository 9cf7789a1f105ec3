/*
 * fuzz_lesson.c -- libFuzzer target: the lesson file parser (src/lesson.h).
 *
 * The input is a lesson file.  Invariants: lesson_parse() returns a lesson
 * that keeps every promise of lesson.h (lessoncheck.h: steps, tensors'
 * shapes, plot kinds, marks, choices), or NULL with a "name:line: message"
 * error; lesson_load_report() (`lessons --check`) on the same bytes agrees:
 * a lesson exactly when it reports no problem, and at least one problem
 * when lesson_parse fails.
 */
#include "config.h"

#include <sys/mman.h>

#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "fuzz.h"
#include "lessoncheck.h"

static int	memfd = -1;

static void
count_report(void *ctx, const char *msg)
{
	FZ_CHECK(msg != NULL && msg[0] != '\0', "an empty report");
	(*(int *)ctx)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lesson	*l, *l2;
	struct err	 err;
	char		 path[64];
	int		 nrep = 0, nproblems = -1;

	err.msg[0] = '\0';
	l = lesson_parse("fuzz.lesson", (const char *)data, size, &err);
	if (l != NULL)
		lc_check(l);
	else
		FZ_CHECK(strncmp(err.msg, "fuzz.lesson:", 12) == 0,
		    "error '%s'", err.msg);
	/* the same bytes as a file, through lessons --check's reader */
	if (memfd == -1)
		memfd = memfd_create("fuzz.lesson", 0);
	if (memfd != -1 && ftruncate(memfd, 0) == 0 &&
	    pwrite(memfd, data, size, 0) == (ssize_t)size) {
		snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
		l2 = lesson_load_report(path, count_report, &nrep, &nproblems);
		FZ_CHECK((l2 != NULL) == (l != NULL), "lesson_parse %s, "
		    "lesson_load_report %s (%s)", l ? "ok" : "fails",
		    l2 ? "ok" : "fails", err.msg);
		FZ_CHECK(nproblems == nrep, "%d problems, %d reported",
		    nproblems, nrep);
		FZ_CHECK((nrep == 0) == (l != NULL), "%d problems, "
		    "lesson_parse %s", nrep, l ? "ok" : "fails");
		lesson_free(l2);
	}
	lesson_free(l);
	return 0;
}
