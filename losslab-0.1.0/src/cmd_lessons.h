/*
 * cmd_lessons.h -- `losslab lessons`: list the lessons of the search path,
 * or validate lesson files with --check.
 */
#ifndef LOSSLAB_CMD_LESSONS_H
#define LOSSLAB_CMD_LESSONS_H

#include "app.h"
#include "lesson.h"

/*
 * argv[0] is "lessons".  `lessons` prints one line per lesson (id, language,
 * title, origin and path; broken files with their error) and returns 0.
 * `lessons --check [FILE|DIR]...` parses every lesson (of the arguments, or
 * of the search path), computes every step and renders every template;
 * each problem goes to stderr as "file:line: message".  Returns 0 when all
 * is well, 2 otherwise (usage errors too, after "losslab: ...").
 */
int	 cmd_lessons_main(const struct app_opts *app, int argc, char **argv);

/* Check one parsed lesson (every step computed and every text rendered for
   its own values), printing each problem and warning as "file:line: step
   N: ..." to stderr; returns the number of problems, and the number of
   warnings in *nwarnings (if not NULL). */
int	 cmd_lessons_check_lesson(const struct lesson *l, int *nwarnings);

#endif
