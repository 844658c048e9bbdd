package main

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// toolColors: one fixed colour per tool so plots of different runs compare.
var toolColors = map[string]color.RGBA{
	"goscratch":        {R: 0x1b, G: 0x9e, B: 0x77, A: 0xff},
	"dockerfile":       {R: 0xd9, G: 0x5f, B: 0x02, A: 0xff},
	"dockerfile-layer": {R: 0xe7, G: 0x29, B: 0x8a, A: 0xff},
	"baseline":         {R: 0x66, G: 0xa6, B: 0x1e, A: 0xff},
	"ko":               {R: 0x75, G: 0x70, B: 0xb3, A: 0xff},
	"hostgo":           {R: 0x66, G: 0x66, B: 0x66, A: 0xff},
}

// plotResults draws the median build time of every tool in every cell as
// grouped bars (log scale: cold builds and no-op rebuilds differ 100x) and
// saves it as a PNG.
func plotResults(r *Results, path string) error {
	p := plot.New()
	p.Title.Text = "goscratch vs peers: median wall time of the client command"
	p.Y.Label.Text = "seconds (log scale)"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	p.Legend.Top = true
	p.Legend.Left = true

	var names []string
	for _, c := range r.Cells {
		names = append(names, fmt.Sprintf("%s\n%s %dp", c.Subject, c.Scenario, len(c.Platforms)))
	}
	tools := allTools(r.Cells)
	w := vg.Points(math.Max(4, 48/float64(len(tools))))
	for i, tool := range tools {
		b := &logBars{floor: plotFloor, width: w, color: toolColors[tool],
			offset: w * vg.Length(float64(i)-float64(len(tools)-1)/2)}
		for _, c := range r.Cells {
			v := 0.0 // absent: no bar
			if t, ok := findTool(summarizeCell(c, base), tool); ok && t.Time.N > 0 {
				v = math.Max(t.Time.Median, plotFloor)
			}
			b.vals = append(b.vals, v)
		}
		p.Add(b)
		p.Legend.Add(tool, b)
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.5, float64(len(r.Cells))-0.5
	p.Y.Min, p.Y.Max = plotFloor, p.Y.Max*2 // room above the tallest bar for the legend
	width := vg.Length(math.Max(6, 0.9*float64(len(r.Cells)))) * vg.Inch
	return p.Save(width, 4*vg.Inch, path)
}

// plotFloor is where the bars start on the log axis (seconds).
const plotFloor = 0.1

// logBars is a bar series for a log-scale axis (plotter.BarChart draws from
// 0, which a log axis cannot place): bar i at x=i+offset from floor to vals[i].
type logBars struct {
	vals          []float64
	floor         float64
	width, offset vg.Length
	color         color.Color
}

func (b *logBars) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	for i, v := range b.vals {
		if v <= 0 {
			continue
		}
		x := trX(float64(i)) + b.offset
		y0, y1 := trY(b.floor), trY(v)
		c.FillPolygon(b.color, c.ClipPolygonY([]vg.Point{
			{X: x - b.width/2, Y: y0}, {X: x + b.width/2, Y: y0},
			{X: x + b.width/2, Y: y1}, {X: x - b.width/2, Y: y1},
		}))
	}
}

func (b *logBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymax = b.floor * 10
	for _, v := range b.vals {
		ymax = math.Max(ymax, v)
	}
	return 0, float64(len(b.vals) - 1), b.floor, ymax
}

func (b *logBars) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	c.FillPolygon(b.color, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
}

func allTools(cells []Cell) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range cells {
		for _, t := range c.Tools {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}
