"""The figures: the engine that counts (`engine`), its summary tables (`models`) and the
module that keeps them exact (`cubes`). Callers import the engine:

    from peacebuild.figures import engine as figures
    figures.compute(office, figures.FigureQuery("activities"))

This package imports nothing itself: Django imports it before the models are ready.
"""
