# style.gp -- the look of losslab's image plots (PNG, SVG, PDF).
#
# Loaded by src/plot.c with `load` from a fixed path (the installed
# $(pkgdatadir)/style.gp, else the source tree) after `set terminal`; the
# text (dumb) plots do not load it.  It holds only style: no data, no text.
#
# Line styles: 1-8 solid, for loss curves; 11-18 dashed, for gradient
# curves (drawn against the right-hand axis), same colours as 1-8.
# The colours are the Okabe-Ito palette, readable with colour blindness.

# Lines
set style line 1 lc rgb '#0072B2' lw 2.5 dt solid	# blue
set style line 2 lc rgb '#D55E00' lw 2.5 dt solid	# vermilion
set style line 3 lc rgb '#009E73' lw 2.5 dt solid	# bluish green
set style line 4 lc rgb '#CC79A7' lw 2.5 dt solid	# reddish purple
set style line 5 lc rgb '#E69F00' lw 2.5 dt solid	# orange
set style line 6 lc rgb '#56B4E9' lw 2.5 dt solid	# sky blue
set style line 7 lc rgb '#000000' lw 2.5 dt solid	# black
set style line 8 lc rgb '#F0E442' lw 2.5 dt solid	# yellow

set style line 11 lc rgb '#0072B2' lw 2 dt (8,4)
set style line 12 lc rgb '#D55E00' lw 2 dt (8,4)
set style line 13 lc rgb '#009E73' lw 2 dt (8,4)
set style line 14 lc rgb '#CC79A7' lw 2 dt (8,4)
set style line 15 lc rgb '#E69F00' lw 2 dt (8,4)
set style line 16 lc rgb '#56B4E9' lw 2 dt (8,4)
set style line 17 lc rgb '#000000' lw 2 dt (8,4)
set style line 18 lc rgb '#F0E442' lw 2 dt (8,4)

# The axes: a light frame, ticks outside, a faint grid behind the curves
set style line 100 lc rgb '#4d4d4d' lw 1
set style line 101 lc rgb '#d9d9d9' lw 0.8 dt solid
set border 15 back ls 100
set tics out nomirror textcolor rgb '#333333'
set grid back ls 101
set mxtics 2
set mytics 2

# Titles and the key
set title textcolor rgb '#1a1a1a'
set xlabel textcolor rgb '#333333'
set ylabel textcolor rgb '#333333'
set y2label textcolor rgb '#333333'
set key noopaque nobox samplen 2.5 spacing 1.15 width 1
set samples 500

# A reference level (the floor of a pitfall): grey, dotted
set style line 20 lc rgb '#555555' lw 1.5 dt 3
