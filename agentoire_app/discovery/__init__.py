"""Tools found in the news: what stored articles point at that the directory does not list yet."""
