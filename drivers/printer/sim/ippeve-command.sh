#!/bin/sh
# The mechanism behind the simulated printer: ippeveprinter runs this for every job (-c) with the
# document as $1. It reports faults the way a real printer's backend does, with STATE: lines on
# stderr, as the file $SMZC_PRINTER_FAULT says (IppEvePrinter::set_fault writes it):
#   empty or missing   the page prints; any earlier fault is cleared
#   a reason keyword   the fault strikes mid-job (media-jam, cover-open, media-empty, ...): it is
#                      reported, the mechanism stops until the fault file changes (a technician
#                      clears it), and the job ends unprinted
#   stall              the mechanism stops without a word (for a printer killed mid-job)
#   abort:KEYWORD      the fault strikes and the job is aborted at once; the printer keeps
#                      reporting the fault until it is cleared (a jam that ends the job)
#   late:KEYWORD       the job completes and the fault strikes as it ends; the printer keeps
#                      reporting it until it is cleared (a sheet that jams on its way out)
fault=$(cat "$SMZC_PRINTER_FAULT" 2>/dev/null)
wait_for_clear() {
  n=0
  while [ "$(cat "$SMZC_PRINTER_FAULT" 2>/dev/null)" = "$fault" ] && [ $n -lt 1200 ]; do
    sleep 0.05
    n=$((n + 1))
  done
}
case "$fault" in
  "")
    echo "STATE: -media-jam,cover-open,media-empty,marker-supply-empty" >&2
    exit 0
    ;;
  stall)
    wait_for_clear
    exit 1
    ;;
  late:*)
    echo "STATE: +${fault#late:}" >&2
    exit 0
    ;;
  abort:*)
    echo "STATE: +${fault#abort:}" >&2
    exit 1
    ;;
  *)
    echo "STATE: +$fault" >&2
    wait_for_clear
    echo "STATE: -$fault" >&2
    exit 1
    ;;
esac
