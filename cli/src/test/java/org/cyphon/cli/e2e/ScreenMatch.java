package org.cyphon.cli.e2e;

import java.awt.image.BufferedImage;

/**
 * How alike a guest's screen and a viewer's picture of it are. A full-screen viewer scales the
 * guest's screen to fit, keeping its proportions, and centres it: the guest's image is laid over
 * that rectangle of the screen, both are cut into the same coarse grid, and the brightness of the
 * cells is correlated (Pearson). Scaling, filtering and a pixel or two of rounding move single
 * pixels, not the cells' brightness, so the same picture gives close to 1 and another picture a
 * value near 0.
 */
final class ScreenMatch {
    private static final int COLUMNS = 48;
    private static final int ROWS = 24;

    private ScreenMatch() {}

    static double correlation(BufferedImage guest, BufferedImage screen) {
        double scale = Math.min(
                (double) screen.getWidth() / guest.getWidth(), (double) screen.getHeight() / guest.getHeight());
        double w = guest.getWidth() * scale;
        double h = guest.getHeight() * scale;
        double x0 = (screen.getWidth() - w) / 2;
        double y0 = (screen.getHeight() - h) / 2;
        double[] a = new double[COLUMNS * ROWS];
        double[] b = new double[COLUMNS * ROWS];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLUMNS; c++) {
                a[r * COLUMNS + c] = mean(
                        guest,
                        c * guest.getWidth() / (double) COLUMNS,
                        r * guest.getHeight() / (double) ROWS,
                        guest.getWidth() / (double) COLUMNS,
                        guest.getHeight() / (double) ROWS);
                b[r * COLUMNS + c] = mean(screen, x0 + c * w / COLUMNS, y0 + r * h / ROWS, w / COLUMNS, h / ROWS);
            }
        }
        return pearson(a, b);
    }

    /** Pixels brighter than mid-grey: text drawn on the session's dark screen. */
    static int brightPixels(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                if (((p >> 16) & 0xff) + ((p >> 8) & 0xff) + (p & 0xff) > 3 * 160) n++;
            }
        }
        return n;
    }

    private static double mean(BufferedImage img, double x, double y, double w, double h) {
        int x1 = (int) Math.round(x);
        int y1 = (int) Math.round(y);
        int x2 = Math.min(img.getWidth(), (int) Math.round(x + w));
        int y2 = Math.min(img.getHeight(), (int) Math.round(y + h));
        double sum = 0;
        int n = 0;
        for (int j = y1; j < y2; j++) {
            for (int i = x1; i < x2; i++) {
                int p = img.getRGB(i, j);
                sum += ((p >> 16) & 0xff) * 0.299 + ((p >> 8) & 0xff) * 0.587 + (p & 0xff) * 0.114;
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    private static double pearson(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < a.length; i++) {
            cov += (a[i] - ma) * (b[i] - mb);
            va += (a[i] - ma) * (a[i] - ma);
            vb += (b[i] - mb) * (b[i] - mb);
        }
        return va == 0 || vb == 0 ? 0 : cov / Math.sqrt(va * vb);
    }
}
