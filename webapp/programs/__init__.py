"""Program managers' outcomes dashboard: does an engagement leave its team stronger?"""
