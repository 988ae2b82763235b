/* A face plug-in for the tests of the seam (face/smzc_face_plugin.h): its verdicts are what the
 * environment says, so a test can show that the terminal decides by them.
 *   SMZC_TEST_MATCH     same | other | error      (default same)
 *   SMZC_TEST_LIVENESS  live | attack | error     (default live)
 * It checks the pictures it is given are the sizes the ABI promises, and keeps nothing. */
#include <stdlib.h>
#include <string.h>

#include "face/smzc_face_plugin.h"

static const char* setting(const char* name, const char* fallback) {
  const char* v = getenv(name);
  return v && *v ? v : fallback;
}

static int valid(const smzc_face_image* image) {
  return image && image->bgr && image->width > 0 && image->height > 0 &&
         image->stride >= 3 * image->width;
}

int smzc_face_plugin_abi(void) { return SMZC_FACE_PLUGIN_ABI; }

const char* smzc_face_plugin_name(void) { return "test plug-in 1.0"; }

int smzc_face_match(const smzc_face_image* live, const smzc_face_image* reference, double* score,
                    int* same) {
  const char* verdict = setting("SMZC_TEST_MATCH", "same");
  if (!valid(live) || !valid(reference) || live->width != 300 || live->height != 300) return 2;
  if (strcmp(verdict, "error") == 0) return 1;
  *same = strcmp(verdict, "same") == 0;
  *score = *same ? 0.97 : 0.12;
  return 0;
}

int smzc_face_liveness(const smzc_face_image* frames, int count, double* score, int* live) {
  const char* verdict = setting("SMZC_TEST_LIVENESS", "live");
  int i;
  if (count < 1) return 2;
  for (i = 0; i < count; ++i)
    if (!valid(&frames[i])) return 2;
  if (strcmp(verdict, "error") == 0) return 1;
  *live = strcmp(verdict, "live") == 0;
  *score = *live ? 0.99 : 0.03;
  return 0;
}
