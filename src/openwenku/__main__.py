from openwenku.cli import main

main()
