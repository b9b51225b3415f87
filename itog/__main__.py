from itog.cli import main

main()
