"""Live preview: ``jpub preview`` serves the web edition and the PDF of the source on 127.0.0.1, rebuilds them
on every save and shows the checks' diagnostics beside them.

    app.py         start, serve, stop
    watcher.py     which files are watched (watchfiles)
    builder.py     what a save sets off, in lanes.py (one build of each kind at a time, the newest kept)
    pdf_worker.py  the PDF in a warm worker process
    server.py      the HTTP server (and its refusals); pages.py draws the PDF's pages as images
    state.py       the snapshot the page and the terminal are shown
The page itself is templates/preview/.
"""
