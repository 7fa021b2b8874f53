package org.quiver.sql.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/**
 * A recall-QPS plot in the manner of ann-benchmarks: one line per door (and filter), recall@10 on
 * x, queries per second on a logarithmic y axis, written as PNG.
 */
final class RecallPlot {
  private final String title;
  private final Map<String, List<double[]>> series = new LinkedHashMap<>();

  RecallPlot(String title) {
    this.title = title;
  }

  void add(String line, double recall, double qps) {
    series.computeIfAbsent(line, l -> new ArrayList<>()).add(new double[] {recall, qps});
  }

  void write(Path file) throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(600).title(title)
        .xAxisTitle("recall@10").yAxisTitle("queries per second (log)").build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setMarkerSize(6);
    series.forEach((line, points) -> {
      double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
      double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
      XYSeries s = chart.addSeries(line, x, y);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    });
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
