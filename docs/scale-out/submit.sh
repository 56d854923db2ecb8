mkdir -p results/seed-42
campaign=$(sbatch --parsable campaign.sbatch)
sbatch --dependency=afterok:$campaign merge.sbatch
