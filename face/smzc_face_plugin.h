/* smzc_face_plugin.h — the C ABI through which a district plugs a certified face engine or
 * liveness module (GB/T 38671, ISO/IEC 30107-3) into the terminal without rebuilding it.
 *
 * A plug-in is a shared library the terminal loads with dlopen from the path in its configuration
 * (face.matcher_plugin, face.liveness_plugin; docs/configuration.md). It exports
 * smzc_face_plugin_abi() and one or both of smzc_face_match() and smzc_face_liveness(). The
 * terminal's built-in engine is used for whatever a site does not plug in.
 *
 * Rules the terminal keeps, and a plug-in must keep too:
 *  - Images are 8-bit BGR, row-major, `stride` bytes a row, owned by the caller and valid only
 *    during the call. A plug-in copies nothing of them anywhere that outlives the call and writes
 *    nothing to disk.
 *  - Calls come from one thread at a time per loaded plug-in, but not always the same thread.
 *  - Every call returns within the time its vendor documents; the terminal does not cancel it.
 *  - A non-zero return is an error (the plug-in could not decide): the terminal refuses the
 *    check and journals the code, never the pictures.
 *
 * This header is C89 and stands alone, so a vendor builds against it with nothing else of ours.
 */
#ifndef SMZC_FACE_PLUGIN_H
#define SMZC_FACE_PLUGIN_H

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this ABI. A plug-in returns the version it was built against; the terminal
 * loads only plug-ins of its own version. */
#define SMZC_FACE_PLUGIN_ABI 1

typedef struct smzc_face_image {
  int width;
  int height;
  int stride; /* bytes from one row to the next, at least 3 * width */
  const unsigned char* bgr;
} smzc_face_image;

/* Required: SMZC_FACE_PLUGIN_ABI as the plug-in was built. */
int smzc_face_plugin_abi(void);

/* Optional: a name and version for the journal, e.g. "VendorFace 3.2 (GA/T 1093 report 2025-118)".
 * The string stays valid while the library is loaded. */
const char* smzc_face_plugin_name(void);

/* Matcher. `live` is the terminal's aligned crop of the face at the camera (300x300, the eyes and
 * nose where dlib's face chips put them); `reference` the picture to compare with as it came (the
 * card's chip photo, 102x126). Sets *score (the plug-in's own scale, journaled) and *same (1 the
 * same person, 0 not) and returns 0; non-zero when it cannot decide. */
int smzc_face_match(const smzc_face_image* live, const smzc_face_image* reference, double* score,
                    int* same);

/* Liveness (presentation-attack detection). `frames` are `count` aligned face crops of the good
 * frames of one check, in the order they were taken. Sets *score and *live (1 a live person, 0 an
 * attack) and returns 0; non-zero when it cannot decide. The terminal asks it after its own
 * challenge passed: both must pass. */
int smzc_face_liveness(const smzc_face_image* frames, int count, double* score, int* live);

#ifdef __cplusplus
}
#endif

#endif /* SMZC_FACE_PLUGIN_H */
